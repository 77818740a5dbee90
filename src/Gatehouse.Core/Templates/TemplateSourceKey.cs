namespace Gatehouse.Core.Templates;

/// <summary>
/// How a project's recorded template source is matched to a published template: the same text
/// once surrounding blanks, a trailing <c>/</c> and a trailing <c>.git</c> are dropped, so
/// <c>https://git.example.com/platform/svc.git</c> and <c>https://git.example.com/platform/svc/</c> match.
/// </summary>
public static class TemplateSourceKey
{
    public static string Of(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var key = source.Trim().TrimEnd('/');
        if (key.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            key = key[..^4].TrimEnd('/');
        }

        return key;
    }
}
