// Placeholder entry point; the host is assembled in Oriel.Gateway (see docs/).
return 0;
