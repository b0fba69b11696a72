// Reconciler: see the files of this folder.
