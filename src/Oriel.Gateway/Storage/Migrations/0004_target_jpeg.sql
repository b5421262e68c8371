-- VNC targets may ask the server for Tight JPEG (0-9); NULL keeps the session lossless.
ALTER TABLE targets ADD COLUMN jpeg_quality INTEGER NULL CHECK (jpeg_quality IS NULL OR (jpeg_quality BETWEEN 0 AND 9));
