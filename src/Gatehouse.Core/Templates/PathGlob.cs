using System.Text;
using System.Text.RegularExpressions;

namespace Gatehouse.Core.Templates;

/// <summary>
/// A path pattern of template.yaml: <c>*</c> matches within one folder name, <c>**</c> any number
/// of folders, <c>?</c> one character; paths use '/'. A pattern without '/' matches a file name
/// anywhere (<c>*.png</c>), like .gitignore.
/// </summary>
public sealed class PathGlob
{
    private readonly Regex regex;

    private PathGlob(string pattern, Regex regex)
    {
        Pattern = pattern;
        this.regex = regex;
    }

    public string Pattern { get; }

    public static PathGlob Create(string pattern)
    {
        var trimmed = pattern.Trim().TrimStart('/');
        var body = new StringBuilder(trimmed.Contains('/', StringComparison.Ordinal) ? "^" : "^(?:.*/)?");
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (c == '*' && i + 1 < trimmed.Length && trimmed[i + 1] == '*')
            {
                // "**/" is zero or more folders; a trailing "**" is everything below.
                var slash = i + 2 < trimmed.Length && trimmed[i + 2] == '/';
                body.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                body.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        // A folder pattern ("docs/") or a folder name matches everything inside it.
        body.Append(trimmed.EndsWith('/') ? ".*$" : "(?:/.*)?$");
        return new PathGlob(pattern, new Regex(body.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
    }

    public bool IsMatch(string path) => regex.IsMatch(path);
}
