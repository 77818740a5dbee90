using Gatehouse.Bench;
using Gatehouse.Bench.Generation;
using Gatehouse.Bench.Load;
using Gatehouse.Bench.Measuring;
using Gatehouse.Bench.Parsing;
using Gatehouse.Bench.Serving;

// Benchmarks for Gatehouse; see docs/benchmarks.md. Plain argument parsing on purpose: the
// harness must not depend on the CLI library whose product it measures.
const string Usage = """
    usage: Gatehouse.Bench <command> [options]
      generate --apps N --out DIR [--seed S] [--grants G]
                                                 write a synthetic organisation of N apps (with G grants at once)
      parse-only DIR                             parse every manifest under DIR with YamlDotNet only
      validate-vs-parse [--sizes 10000,20000] [--gatehouse PATH] [--runs 3] [--seed 1]
                                                 time `gatehouse validate` against parse-only
      server-bench [--apps 10000] [--env development] [--connections 32] [--duration 10] [--warmup 3]
                   [--rounds 2] [--rate 1000] [--pin yes|no] [--nice yes|no] [--keep no|yes] [--replicas 2] [--gatehouse PATH]
                                                 push time, then every hot endpoint against a Kestrel hello app
      scale-bench [--apps 10000] [--grants 1000000] [--connections 32] [--duration 8] [--warmup 3] [--rounds 2]
                  [--batch 10] [--pin yes|no] [--nice yes|no] [--keep no|yes] [--push-minutes 10] [--push-only no|yes]
                  [--gatehouse PATH]
                                                 push time, then checks and decisions over every app and server RSS, beside 10,000 apps
      load --url URL [--body FILE] [--rate 1000] [--duration 10] [--warmup 3] [--connections 64] [--format text|json]
                                                 open-loop requests at a fixed rate (token: GATEHOUSE_BENCH_TOKEN)
      notify-bench [--requests 500] [--rounds 5] [--data DIR] [--control no|yes] [--gatehouse PATH/gatehouse.dll]
                                                 p50/p99 of approve with and without notification targets, side by side
      measure -- PROGRAM [ARGS...]               (internal) run one child, report its time and peak RSS
    """;

try
{
    var arguments = Arguments.Parse(args.Skip(1));
    return args.FirstOrDefault() switch
    {
        "generate" => GenerateCommand.Run(arguments),
        "parse-only" => ParseOnlyCommand.Run(arguments),
        "validate-vs-parse" => ValidateVsParseCommand.Run(arguments),
        "server-bench" => ServerBenchCommand.Run(arguments),
        "scale-bench" => Gatehouse.Bench.Scale.ScaleBenchCommand.Run(arguments),
        "load" => LoadCommand.Run(arguments),
        "notify-bench" => Gatehouse.Bench.Notifications.NotifyBenchCommand.Run(arguments),
        "measure" => MeasureCommand.Run(args.Skip(1).SkipWhile(a => a == "--").ToArray()),
        _ => Fail(Usage),
    };
}
catch (ArgumentException e)
{
    return Fail($"{e.Message}\n\n{Usage}");
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}
