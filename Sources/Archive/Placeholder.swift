// Archive: see the files of this folder.
