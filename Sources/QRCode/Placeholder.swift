// QRCode: see the files of this folder.
