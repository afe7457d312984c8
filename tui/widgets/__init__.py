"""Small widgets and renderables shared by visitprep's screens."""
