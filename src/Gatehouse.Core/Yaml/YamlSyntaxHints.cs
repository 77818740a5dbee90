namespace Gatehouse.Core.Yaml;

/// <summary>What usually causes the parser's most frequent complaints, said as a fix.</summary>
internal static class YamlSyntaxHints
{
    private static readonly (string Symptom, string Hint)[] Hints =
    [
        ("found invalid mapping", "quote a value that contains ': ', e.g. description: \"Step 1: read\""),
        ("did not find expected key", "check this line's indentation against the lines above it"),
        ("while scanning a quoted scalar, found unexpected end of stream", "a quote is not closed"),
        ("did not find expected ',' or ']'", "a '[' is not closed, or an item needs quotes"),
        ("did not find expected ',' or '}'", "a '{' is not closed, or a value needs quotes"),
        ("found character that cannot start any token", "quote a value that starts with '@', '`' or '%'"),
    ];

    public static string For(string message)
    {
        foreach (var (symptom, hint) in Hints)
        {
            if (message.Contains(symptom, StringComparison.OrdinalIgnoreCase))
            {
                return $"; {hint}";
            }
        }

        return "";
    }
}
