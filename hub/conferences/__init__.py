"""Conference management: business customers create conferences and their seat types."""
