"""The Dash app of Wijkveiligheid Hengelo."""
