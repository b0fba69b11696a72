// NodeState: see the files of this folder.
