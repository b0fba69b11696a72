// AdminAPI: see the files of this folder.
