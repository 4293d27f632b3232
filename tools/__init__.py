"""Developer tools of finepdfs-stages (evaluation sets, ...): not part of any stage image."""
