// The `gatehouse` executable. Commands are registered in GatehouseCommandLine.
Gatehouse.Cli.StartUp.Configure(args);
return Gatehouse.Cli.GatehouseCommandLine.Run(args, Console.Out, Console.Error);
