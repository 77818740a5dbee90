using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Gatehouse.Core.Tests.Schema;

/// <summary>
/// Compiles a JSON Schema <c>pattern</c> (an ECMA-262 regular expression) for .NET. The one
/// difference that matters for our anchored name patterns: .NET's <c>$</c> also matches before a
/// final newline, so <c>^admin$</c> would accept "admin\n" where an editor rejects it. Unescaped
/// <c>$</c> outside a character class therefore becomes <c>\z</c>.
/// </summary>
internal static class EcmaPattern
{
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    public static bool IsMatch(string pattern, string value) =>
        Cache.GetOrAdd(pattern, p => new Regex(Translate(p), RegexOptions.ECMAScript | RegexOptions.CultureInvariant)).IsMatch(value);

    internal static string Translate(string pattern)
    {
        var result = new StringBuilder(pattern.Length + 4);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                result.Append(c).Append(pattern[++i]);
                continue;
            }

            if (c == '[')
            {
                inClass = true;
            }
            else if (c == ']')
            {
                inClass = false;
            }

            result.Append(c == '$' && !inClass ? @"\z" : c.ToString());
        }

        return result.ToString();
    }
}
