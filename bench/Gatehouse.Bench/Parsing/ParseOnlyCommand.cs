using YamlDotNet.Core;

namespace Gatehouse.Bench.Parsing;

/// <summary>
/// <c>parse-only DIR</c>: the baseline for `gatehouse validate`. It finds the same files, reads
/// each and pulls every event through YamlDotNet's low-level Parser, in parallel like the
/// validator, and does nothing else: the least any YamlDotNet-based validator must spend.
/// </summary>
internal static class ParseOnlyCommand
{
    public static int Run(Arguments arguments)
    {
        var root = arguments.Positional.Count == 1 ? arguments.Positional[0] : throw new ArgumentException("parse-only needs one directory");
        var files = ManifestDiscovery.Find(root);
        long events = 0;
        Parallel.For(0, files.Count, () => 0L, (i, _, count) => count + CountEvents(files[i]), count => Interlocked.Add(ref events, count));
        Console.WriteLine($"parsed {files.Count} files ({events} YAML events)");
        return 0;
    }

    private static long CountEvents(string path)
    {
        var parser = new Parser(new StringReader(File.ReadAllText(path)));
        long count = 0;
        while (parser.MoveNext())
        {
            count++;
        }

        return count;
    }
}
