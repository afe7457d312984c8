"""visitprep's screens, one file each, named after what the user sees."""
