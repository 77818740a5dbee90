using System.IO.Hashing;
using System.Text;
using System.Text.RegularExpressions;
using Gatehouse.Core.Secrets;

namespace Gatehouse.Core.Tests.Secrets;

/// <summary>Gatehouse's own secret format: a prefix per kind, 256 random bits, a CRC-32 checksum.</summary>
public sealed class SecretFormatTests
{
    public static TheoryData<SecretKind, string> Kinds => new()
    {
        { SecretKind.PersonalToken, "gthp_" },
        { SecretKind.DeployToken, "gthd_" },
        { SecretKind.ClientSecret, "gthc_" },
        { SecretKind.BootstrapToken, "gthb_" },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void New_HasItsKindsPrefix_43Base62Characters_AndAChecksum(SecretKind kind, string prefix)
    {
        var secret = SecretFormat.New(kind);

        Assert.Matches(new Regex($"^{prefix}[0-9A-Za-z]{{49}}$"), secret);
        Assert.Equal(54, secret.Length);
        Assert.True(SecretFormat.IsWellFormed(secret, kind));
        Assert.NotEqual(secret, SecretFormat.New(kind));
    }

    [Fact]
    public void Checksum_IsTheZlibCrc32OfPrefixAndBody_AsSixBase62Digits()
    {
        var secret = SecretFormat.New(SecretKind.PersonalToken);

        var crc = Crc32.HashToUInt32(Encoding.ASCII.GetBytes(secret[..48]));
        var digits = secret[48..].Aggregate(0L, (value, c) => (value * 62) + SecretFormat.Base62.IndexOf(c, StringComparison.Ordinal));
        Assert.Equal(crc, digits);
    }

    [Fact]
    public void AnyChangedCharacter_FailsTheChecksum()
    {
        var secret = SecretFormat.New(SecretKind.DeployToken);

        for (var i = 5; i < secret.Length; i++)
        {
            var changed = secret.ToCharArray();
            changed[i] = changed[i] == 'a' ? 'b' : 'a';
            Assert.False(SecretFormat.IsWellFormed(new string(changed), SecretKind.DeployToken), $"changed at {i}");
        }
    }

    [Fact]
    public void ASecretRelabelledAsAnotherKind_FailsTheChecksum()
    {
        var personal = SecretFormat.New(SecretKind.PersonalToken);

        Assert.False(SecretFormat.IsWellFormed("gthd_" + personal[5..], SecretKind.DeployToken));
        Assert.False(SecretFormat.IsWellFormed(personal, SecretKind.DeployToken));
    }

    [Theory]
    [InlineData("")]
    [InlineData("gthp_")]
    [InlineData("gthp_short")]
    [InlineData("gthp_ExampleOnly0ExampleOnly0ExampleOnly0Example1zGsdH0")]
    [InlineData("gthp_ExampleOnly0ExampleOnly0ExampleOnly0Example1zGsd")]
    [InlineData("gthp_ExampleOnly-ExampleOnly0ExampleOnly0Example1zGsdH")]
    [InlineData("GTHP_ExampleOnly0ExampleOnly0ExampleOnly0Example1zGsdH")]
    [InlineData("test-bootstrap-token-0123456789abcdef")]
    [InlineData("ghp_0123456789012345678901234567890123456789")]
    [InlineData("ghp_01234567890123456789012345678901234567890.")]
    public void MalformedSecrets_AreNotWellFormed(string secret) =>
        Assert.False(SecretFormat.IsWellFormed(secret, SecretKind.PersonalToken));

    [Fact]
    public void TheDocumentedExample_IsWellFormed() =>
        Assert.True(SecretFormat.IsWellFormed("gthp_ExampleOnly0ExampleOnly0ExampleOnly0Example1zGsdH", SecretKind.PersonalToken));

    [Theory]
    [InlineData(SecretKind.PersonalToken, "ghp_")]
    [InlineData(SecretKind.DeployToken, "ghd_")]
    [InlineData(SecretKind.ClientSecret, "ghs_")]
    public void SecretsIssuedBeforeTheFormat_AreStillWellFormedForTheirKindOnly(SecretKind kind, string legacyPrefix)
    {
        var legacy = legacyPrefix + "AbC-_0123456789abcdefghijABCDEFGHIJ-_012345";

        Assert.Equal(47, legacy.Length);
        Assert.True(SecretFormat.IsWellFormed(legacy, kind));
        Assert.All(Enum.GetValues<SecretKind>().Where(k => k != kind), other => Assert.False(SecretFormat.IsWellFormed(legacy, other)));
    }

    [Fact]
    public void ABootstrapTokenHasNoOldForm() =>
        Assert.False(SecretFormat.IsWellFormed("ghb_AbC-_0123456789abcdefghijABCDEFGHIJ-_012345", SecretKind.BootstrapToken));
}
