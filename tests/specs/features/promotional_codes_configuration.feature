Feature: Organisers create and change promotional codes
  A code's quota can never promise more than the seats it applies to.
  (Restated from the CQRS Journey's "Promotional Codes Configuration" feature.)

  Background:
    Given a conference with these seat types
      | seat type                 | seats |
      | General admission         | 500   |
      | Pre-con Workshop          | 100   |
      | Additional cocktail party | 600   |
    And the code "SPEAKER123" taking 100% off every seat type, unlimited

  Scenario: A new code joins the list
    When the organiser creates the code "NEWCODE" taking 10% off "General admission" with an unlimited quota
    Then the conference's codes are "NEWCODE, SPEAKER123"

  Scenario: A new code's quota cannot exceed the seats it applies to
    When the organiser creates the code "NEWCODE" taking 10% off "General admission" with a quota of 1000 uses
    Then the change is refused as "quota_exceeds_seats"
    And the conference's codes are "SPEAKER123"

  Scenario: A code's scope and quota are changed
    When the organiser changes "SPEAKER123" to apply to "Pre-con Workshop" with a quota of 50 uses
    Then the code "SPEAKER123" applies to "Pre-con Workshop" with a quota of 50 uses

  Scenario: A changed quota cannot exceed the seats of the new scope
    When the organiser changes "SPEAKER123" to apply to "Pre-con Workshop" with a quota of 200 uses
    Then the change is refused as "quota_exceeds_seats"
    And the code "SPEAKER123" applies to "all" with an unlimited quota
