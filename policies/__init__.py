"""Policy packs: data files mapping the controls of laws and standards to check ids."""
