Feature: Registrants enter promotional codes and pay less
  A registrant who holds a promotional code enters it at checkout; the order then shows
  what the code takes off each seat type and the total still to pay. (Restated from the
  CQRS Journey's "Promotional Code scenarios"; docs/promotions.md lists where we differ.)

  Background:
    Given the conference sells these seat types
      | seat type                 | price |
      | General admission         | $199  |
      | Pre-con Workshop          | $500  |
      | Additional cocktail party | $50   |
    And the organiser has set up these promotional codes
      | code        | discount | quota      | scope                               | combination  |
      | SPEAKER123  | 100%     | unlimited  | all                                 | cumulative   |
      | VOLUNTEER   | 100%     | unlimited  | General admission                   | cumulative   |
      | COPRESENTER | 10%      | unlimited  | Additional cocktail party           | exclusive    |
      | WS10        | $20      | unlimited  | all                                 | combine only |
      | 1TIMEPRECON | 50%      | single use | Pre-con Workshop                    | cumulative   |
      | CONFONLY    | $50      | single use | General admission, Pre-con Workshop | cumulative   |

  Scenario: A code for everything makes the order free
    Given a registrant has reserved
      | seat type                 | quantity |
      | General admission         | 3        |
      | Pre-con Workshop          | 1        |
      | Additional cocktail party | 2        |
    And the order's total is $1197
    When the registrant applies the code "SPEAKER123"
    Then the code "SPEAKER123" takes $1197 off
    And the order's total is $0

  Scenario: A code for one seat type discounts only that line
    Given a registrant has reserved
      | seat type                 | quantity |
      | General admission         | 3        |
      | Pre-con Workshop          | 1        |
      | Additional cocktail party | 2        |
    When the registrant applies the code "VOLUNTEER"
    Then the code "VOLUNTEER" takes $597 off
    And the order's total is $600

  Scenario: A code for seat types the order does not hold is refused
    Given a registrant has reserved
      | seat type                 | quantity |
      | Pre-con Workshop          | 1        |
      | Additional cocktail party | 2        |
    And the order's total is $600
    When the registrant applies the code "VOLUNTEER"
    Then the code is refused as "promotional_code_not_applicable"
    And the order's total is $600

  Scenario: An add-on combines with an exclusive code
    Given a registrant has reserved
      | seat type                 | quantity |
      | General admission         | 3        |
      | Pre-con Workshop          | 1        |
      | Additional cocktail party | 2        |
    When the registrant applies the code "COPRESENTER"
    And the registrant applies the code "WS10"
    Then the code "COPRESENTER" takes $10 off
    And the code "WS10" takes $20 off
    And the order's total is $1167

  Scenario: A single-use code serves one order only
    Given a registrant has reserved
      | seat type                 | quantity |
      | Pre-con Workshop          | 1        |
      | Additional cocktail party | 2        |
    And the order's total is $600
    And the registrant applies the code "1TIMEPRECON"
    And the order's total is $350
    And the registrant completes the registration
    When another registrant reserves
      | seat type                 | quantity |
      | Pre-con Workshop          | 1        |
      | Additional cocktail party | 2        |
    And the registrant applies the code "1TIMEPRECON"
    Then the code is refused as "promotional_code_exhausted"
    And the order's total is $600

  Scenario: An exclusive code keeps other stand-alone codes out
    Given a registrant has reserved
      | seat type                 | quantity |
      | General admission         | 3        |
      | Pre-con Workshop          | 1        |
      | Additional cocktail party | 2        |
    When the registrant applies the code "COPRESENTER"
    And the registrant applies the code "VOLUNTEER"
    Then the code is refused as "promotional_code_not_combinable"
    And the code "COPRESENTER" takes $10 off
    And the order's total is $1187

  # The original expects WS10 to take $10 here and the total to be $590; the scenario above
  # has WS10 take its full $20 from the same seats. One rule for both: a fixed amount is
  # taken in full while the lines in scope have that much left (docs/promotions.md).
  Scenario: An add-on applied first counts once a stand-alone code joins it
    Given a registrant has reserved
      | seat type                 | quantity |
      | General admission         | 3        |
      | Pre-con Workshop          | 1        |
      | Additional cocktail party | 2        |
    When the registrant applies the code "WS10"
    Then the code "WS10" takes $0 off
    When the registrant applies the code "VOLUNTEER"
    Then the code "VOLUNTEER" takes $597 off
    And the code "WS10" takes $20 off
    And the order's total is $580

  Scenario: A fixed amount for some seat types comes off the first of them
    Given a registrant has reserved
      | seat type                 | quantity |
      | General admission         | 1        |
      | Pre-con Workshop          | 1        |
      | Additional cocktail party | 1        |
    And the order's total is $749
    When the registrant applies the code "CONFONLY"
    Then the code "CONFONLY" takes $50 off
    And the order's total is $699
