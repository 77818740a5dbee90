using Gatehouse.Core.Naming;

namespace Gatehouse.Core.Tests.Naming;

public sealed class NameRulesTests
{
    [Theory]
    [InlineData("billing", true)]
    [InlineData("order-history", true)]
    [InlineData("a1", true)]
    [InlineData("s3-sync-v2", true)]
    [InlineData("a", false)]
    [InlineData("1app", false)]
    [InlineData("Billing", false)]
    [InlineData("order--history", false)]
    [InlineData("order-", false)]
    [InlineData("-order", false)]
    [InlineData("order_history", false)]
    [InlineData("order.history", false)]
    [InlineData("", false)]
    public void IsAppName_FollowsTheRule(string name, bool valid) => Assert.Equal(valid, NameRules.IsAppName(name));

    [Fact]
    public void IsAppName_AllowsAtMost63Characters()
    {
        Assert.True(NameRules.IsAppName("a" + new string('b', 62)));
        Assert.False(NameRules.IsAppName("a" + new string('b', 63)));
    }

    [Theory]
    [InlineData("d", true)]
    [InlineData("production", true)]
    [InlineData("eu-west-1", true)]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdef", true)]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdefg", false)]
    [InlineData("Prod", false)]
    public void IsEnvironmentName_FollowsTheRule(string name, bool valid) => Assert.Equal(valid, NameRules.IsEnvironmentName(name));

    [Theory]
    [InlineData("admin", true)]
    [InlineData("invoices.read", true)]
    [InlineData("profile.read-only.v2", true)]
    [InlineData("invoices..read", false)]
    [InlineData(".read", false)]
    [InlineData("read.", false)]
    [InlineData("invoices.Read", false)]
    [InlineData("invoices:read", false)]
    [InlineData("invoices.2read", false)]
    public void IsScopeName_FollowsTheRule(string name, bool valid) => Assert.Equal(valid, NameRules.IsScopeName(name));

    [Fact]
    public void IsScopeName_AllowsAtMost100Characters()
    {
        var segment = new string('a', 49);
        Assert.True(NameRules.IsScopeName($"{segment}.{segment[..48]}.a"));
        Assert.False(NameRules.IsScopeName($"{segment}.{segment[..48]}.ab"));
    }

    [Theory]
    [InlineData("alice", true)]
    [InlineData("j.doe_2-x", true)]
    [InlineData("9lives", true)]
    [InlineData(".alice", false)]
    [InlineData("Alice", false)]
    [InlineData("al ice", false)]
    [InlineData("", false)]
    public void IsUserName_FollowsTheRule(string name, bool valid) => Assert.Equal(valid, NameRules.IsUserName(name));

    [Fact]
    public void IsUserName_AllowsAtMost64Characters()
    {
        Assert.True(NameRules.IsUserName(new string('u', 64)));
        Assert.False(NameRules.IsUserName(new string('u', 65)));
    }

    [Fact]
    public void Names_FollowTheDocumentedPatterns_ForEveryShortName()
    {
        // docs/manifest.md states the rules as patterns; the checks are written for speed, so
        // compare them on every name of up to five characters over an alphabet that hits each case.
        var word = new System.Text.RegularExpressions.Regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$");
        var scope = new System.Text.RegularExpressions.Regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*(\\.[a-z][a-z0-9]*(-[a-z0-9]+)*)*$");
        const string alphabet = "az09-._Aé";
        var names = new List<string> { string.Empty };
        for (var length = 1; length <= 5; length++)
        {
            names.AddRange(names.Where(n => n.Length == length - 1).SelectMany(n => alphabet.Select(c => n + c)).ToList());
        }

        foreach (var name in names)
        {
            Assert.True((word.IsMatch(name) && name.Length >= 2) == NameRules.IsAppName(name), $"app name `{name}`");
            Assert.True(word.IsMatch(name) == NameRules.IsEnvironmentName(name), $"environment name `{name}`");
            Assert.True(scope.IsMatch(name) == NameRules.IsScopeName(name), $"scope name `{name}`");
        }
    }
}
