// The `gatehouse` executable. Commands are registered in GatehouseCommandLine.
return 0;
