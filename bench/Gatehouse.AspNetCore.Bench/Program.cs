// Gatehouse.AspNetCore's authorization of one request that carries a token, in process.
//   dotnet run -c Release --project bench/Gatehouse.AspNetCore.Bench                   # BenchmarkDotNet, p50/p95/p99 columns
//   dotnet run -c Release --project bench/Gatehouse.AspNetCore.Bench -- --latency      # per-call percentiles over 1,000,000 calls
using BenchmarkDotNet.Running;
using Gatehouse.AspNetCore.Bench;

if (args is ["--latency", ..])
{
    await LatencyRun.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(AuthorizeRequestBenchmark).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args);
