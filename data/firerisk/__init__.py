"""Fire risk among elderly people living alone: the explainable score and its weights, the stored
score timeline, hotspots and visit lists."""
