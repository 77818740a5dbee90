using System.Reflection;
using System.Text.RegularExpressions;
using Gatehouse.OAuth.Tests.Interop;
using Gatehouse.Server.OAuth;

namespace Gatehouse.OAuth.Tests.Docs;

public sealed class OAuthDocsTests
{
    private static string Root => Path.GetDirectoryName(InteropPaths.Folder)![..^"/tests".Length];

    [Fact]
    public void EveryOAuthErrorCode_IsDocumentedUnderItsAnchor_AndNothingStale()
    {
        var codes = typeof(OAuthErrors).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!).ToList();
        var errors = File.ReadAllText(Path.Combine(Root, "docs", "errors.md"));

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, code => Assert.Contains($"<a id=\"{code.ToLowerInvariant()}\"></a>\n### {code}: ", errors));
        // GH5020-GH5039 are forward-auth and gateway export (Gateway/ForwardAuthDocsTests).
        var documented = Regex.Matches(errors, "### (GH50[01][0-9]):").Select(m => m.Groups[1].Value);
        Assert.Equal(codes.Order(), documented.Order());
    }

    [Fact]
    public void OAuthGuide_NamesEveryConfigurationVariableTheLoaderReads()
    {
        var loader = File.ReadAllText(Path.Combine(Root, "src", "Gatehouse.Server", "OAuth", "OAuthOptionsLoader.cs"));
        var guide = File.ReadAllText(Path.Combine(Root, "docs", "oauth.md"));

        var variables = Regex.Matches(loader, "\"(GATEHOUSE_[A-Z_]+)\"").Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.NotEmpty(variables);
        Assert.All(variables, v => Assert.Contains(v, guide));
    }
}
