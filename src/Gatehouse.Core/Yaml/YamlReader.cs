using Gatehouse.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Gatehouse.Core.Yaml;

/// <summary>
/// Reads YAML into a positioned tree in one pass over YamlDotNet's parser events, refusing
/// what a manifest never needs (anchors, aliases, tags, several documents, deep nesting).
/// No YAML problem escapes as an exception: each becomes one diagnostic at its position.
/// </summary>
internal sealed partial class YamlReader
{
    public const int MaxDepth = 32;

    private readonly string file;
    private readonly Scanner scanner;
    private readonly Parser parser;
    private readonly List<Diagnostic> findings = [];
    private readonly List<(int First, int Last)>? blockScalars;
    private Diagnostic? fatal;
    private long fatalLastLine;

    private YamlReader(string file, string text)
    {
        this.file = file;
        scanner = new Scanner(new StringReader(text), skipComments: true);
        parser = new Parser(scanner);
        blockScalars = text.Contains('\t', StringComparison.Ordinal) ? [] : null;
    }

    private ParsingEvent Current => parser.Current!;

    public static YamlDocument Read(string file, ReadOnlySpan<byte> content)
    {
        var text = YamlInput.Decode(file, content, out var problem);
        if (text is null)
        {
            return new YamlDocument(null, null, [problem!]);
        }

        var reader = new YamlReader(file, text);
        var root = reader.ReadStream();
        if (reader.blockScalars is not null)
        {
            // After a syntax error, lines past it were never parsed: a block scalar there is unknown.
            var lastLine = reader.fatal is null ? int.MaxValue : (int)Math.Min(int.MaxValue, reader.fatalLastLine);
            if (TabIndentation.Find(text, reader.blockScalars, lastLine) is var (line, column))
            {
                var tab = Diagnostic.Error(DiagnosticCodes.TabIndentation, new SourceLocation(file, line, column),
                    "a tab is used for indentation; YAML allows only spaces there");
                return new YamlDocument(text, null, [tab]);
            }
        }

        return reader.fatal is { } error
            ? new YamlDocument(text, null, [error])
            : new YamlDocument(text, root, reader.findings);
    }

    private YamlNode? ReadStream()
    {
        if (!Next() || !Next())
        {
            return null;
        }

        if (Current is StreamEnd)
        {
            return Fail(DiagnosticCodes.EmptyFile, 1, 1, "the file is empty; a manifest needs at least apiVersion and app");
        }

        if (!Next())
        {
            return null;
        }

        var root = ReadNode(Current, 1);
        if (root is null || !Next() || !Next())
        {
            return null;
        }

        if (Current is DocumentStart second)
        {
            return Fail(DiagnosticCodes.MultipleDocuments, second.Start.Line, second.Start.Column,
                "a manifest holds one YAML document; remove the '---' here and everything after it, or move it to its own file");
        }

        return root is YamlScalar { IsNull: true }
            ? Fail(DiagnosticCodes.EmptyFile, 1, 1, "the file has no content; a manifest needs at least apiVersion and app")
            : root;
    }
}
