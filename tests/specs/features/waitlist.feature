Feature: Waiting for seats of a sold-out seat type
  A registrant who cannot have the seats they want, because that seat type is sold out,
  may put their name down for it in the same step as they order what is still on sale.
  When seats come free, they are held for whoever joined first, for a while; unused,
  they pass to the next in line.
  (Restated from the CQRS Journey's wait-listing feature, planned for its next release.)

  Background:
    Given a conference with these seat types
      | seat type                 | price | quota |
      | General admission         | 199   | 100   |
      | CQRS Workshop             | 500   | 100   |
      | Additional cocktail party | 50    | 100   |
    And every seat of CQRS Workshop and of Additional cocktail party is sold

  Scenario: Only sold-out seat types chosen, to wait for: both wait-listed
    Given the registrant chooses these seats on sale
      | seat type         | quantity |
      | General admission | 0        |
    And the registrant chooses to wait for these sold-out seats
      | seat type                 | quantity |
      | CQRS Workshop             | 1        |
      | Additional cocktail party | 1        |
    When the registrant places the reservation
    Then the registrant waits for these seats
      | seat type                 | quantity |
      | CQRS Workshop             | 1        |
      | Additional cocktail party | 1        |
    And no seats are reserved for the registrant

  Scenario: Only seats on sale chosen: they are reserved and nothing is wait-listed
    Given the registrant chooses these seats on sale
      | seat type         | quantity |
      | General admission | 1        |
    And the registrant chooses to wait for these sold-out seats
      | seat type                 | quantity |
      | CQRS Workshop             | 0        |
      | Additional cocktail party | 0        |
    When the registrant places the reservation
    Then these seats are reserved for the registrant
      | seat type         | quantity |
      | General admission | 1        |
    And the registrant waits for no seats

  Scenario: Seats on sale and a sold-out seat type chosen together
    Given the registrant chooses these seats on sale
      | seat type         | quantity |
      | General admission | 1        |
    And the registrant chooses to wait for these sold-out seats
      | seat type                 | quantity |
      | CQRS Workshop             | 1        |
      | Additional cocktail party | 0        |
    When the registrant places the reservation
    Then the registrant waits for these seats
      | seat type     | quantity |
      | CQRS Workshop | 1        |
    And these seats are reserved for the registrant
      | seat type         | quantity |
      | General admission | 1        |

  Scenario: A seat freed by a cancellation is held for the first in line only
    Given Ann and then Bob wait for 1 seat of CQRS Workshop each
    When an order of 1 CQRS Workshop seat is cancelled
    Then Ann is offered 1 seat of CQRS Workshop, held for 24 hours
    And Bob is still waiting
    And a new order cannot reserve that CQRS Workshop seat

  Scenario: An offer not taken in time passes to the next in line
    Given Ann and then Bob wait for 1 seat of CQRS Workshop each
    And an order of 1 CQRS Workshop seat is cancelled
    When 24 hours pass without Ann ordering
    Then Ann's offer has expired
    And Bob is offered 1 seat of CQRS Workshop, held for 24 hours

  Scenario: Taking the offer orders the seats held
    Given Ann and then Bob wait for 1 seat of CQRS Workshop each
    And an order of 1 CQRS Workshop seat is cancelled
    When Ann takes the offer
    Then Ann's order holds 1 seat of CQRS Workshop
    And Bob is still waiting
