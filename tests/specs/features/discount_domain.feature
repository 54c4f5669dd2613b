Feature: A discount is an event of the order
  Applying a code records what it takes off; the same code never counts twice on one order.
  (Restated from the CQRS Journey's "Discounts" domain feature.)

  Scenario: A percentage of the order comes off
    Given a conference whose one seat type costs $1000
    And a code "TWENTY" taking 20% off every seat type
    When the code is applied to an order of one seat
    Then the order records a discount of $200 under the code "TWENTY"

  Scenario: Another percentage takes its own share
    Given a conference whose one seat type costs $1000
    And a code "HALF" taking 50% off every seat type
    When the code is applied to an order of one seat
    Then the order records a discount of $500 under the code "HALF"

  Scenario: A code already redeemed by the order is not applied again
    Given a conference whose one seat type costs $1000
    And a code "TWENTY" taking 20% off every seat type
    And the code has been applied to an order of one seat
    When the code is applied to that order again
    Then the code is refused as "promotional_code_already_applied"
    And the code holds 1 use
