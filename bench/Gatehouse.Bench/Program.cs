using Gatehouse.Bench;
using Gatehouse.Bench.Generation;
using Gatehouse.Bench.Measuring;
using Gatehouse.Bench.Parsing;

// Benchmarks for Gatehouse; see docs/benchmarks.md. Plain argument parsing on purpose: the
// harness must not depend on the CLI library whose product it measures.
const string Usage = """
    usage: Gatehouse.Bench <command> [options]
      generate --apps N --out DIR [--seed S]     write a synthetic organisation of N apps
      parse-only DIR                             parse every manifest under DIR with YamlDotNet only
      validate-vs-parse [--sizes 10000,20000] [--gatehouse PATH] [--runs 3] [--seed 1]
                                                 time `gatehouse validate` against parse-only
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
