using Gatehouse.Core.Validation;

namespace Gatehouse.Core.Tests.Validation;

public sealed class SuggestionsTests
{
    private static readonly string[] Keys = ["apiVersion", "app", "description", "owners", "scopes", "needs"];

    [Theory]
    [InlineData("descripton", "description")]
    [InlineData("owner", "owners")]
    [InlineData("apiversion", "apiVersion")]
    [InlineData("need", "needs")]
    [InlineData("desc", "description")]
    [InlineData("colour", null)]
    [InlineData("x", null)]
    [InlineData("", null)]
    public void Closest_SuggestsOnlyNearbyCandidates(string input, string? expected) =>
        Assert.Equal(expected, Suggestions.Closest(input, Keys));

    [Fact]
    public void Closest_IgnoresHugeInput()
    {
        Assert.Null(Suggestions.Closest(new string('a', 10_000), Keys));
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("Owner", "owner", 0)]
    public void Distance_IsLevenshteinIgnoringCase(string a, string b, int expected) =>
        Assert.Equal(expected, Suggestions.Distance(a, b));
}
