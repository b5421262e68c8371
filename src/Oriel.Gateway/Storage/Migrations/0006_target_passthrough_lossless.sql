-- VNC targets may withhold the JPEG quality levels a passthrough viewer (noVNC) asks for, keeping its picture exact; 0 honours the viewer.
ALTER TABLE targets ADD COLUMN passthrough_lossless INTEGER NOT NULL DEFAULT 0 CHECK (passthrough_lossless IN (0, 1));
