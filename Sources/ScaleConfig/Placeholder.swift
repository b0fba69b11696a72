// ScaleConfig: see the files of this folder.
