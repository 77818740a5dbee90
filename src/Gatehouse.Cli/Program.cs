// The `gatehouse` executable. Commands are registered in GatehouseCommandLine.
return Gatehouse.Cli.GatehouseCommandLine.Run(args, Console.Out, Console.Error);
