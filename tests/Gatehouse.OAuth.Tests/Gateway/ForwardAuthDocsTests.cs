using System.Reflection;
using System.Text.RegularExpressions;
using Gatehouse.Server.Gateway;

namespace Gatehouse.OAuth.Tests.Gateway;

/// <summary>Every forward-auth code is documented under its anchor, and nothing in its range is documented that the code lacks.</summary>
public sealed class ForwardAuthDocsTests
{
    [Fact]
    public void Forward_auth_codes_are_unique_and_documented()
    {
        var codes = typeof(ForwardAuthErrors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetValue(null)!).ToList();
        var errors = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "errors.md"));

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, code => Assert.Contains($"<a id=\"{code.ToLowerInvariant()}\"></a>\n### {code}: ", errors, StringComparison.Ordinal));
        var documented = Regex.Matches(errors, "### (GH50[23][0-9]):").Select(m => m.Groups[1].Value);
        Assert.Equal(codes.Order(), documented.Where(c => string.CompareOrdinal(c, "GH5031") < 0).Order());
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Gatehouse.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
