using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.OAuth.Tests.Infrastructure;
using Gatehouse.Server.OAuth;
using Gatehouse.Server.OAuth.Keys;

namespace Gatehouse.OAuth.Tests.Tokens;

/// <summary>The minter's per-thread buffers (ADR 0036, 0040) never leak one token into the next.</summary>
public sealed class AccessTokenMinterTests
{
    [Fact]
    public void Tokens_minted_past_several_refills_of_the_random_buffer_have_distinct_16_byte_jtis_and_valid_signatures()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        var key = new SigningKey("k1", "ES256", 1, ec.ExportPkcs8PrivateKey(), new Dictionary<string, string>(), now, now);
        var jtis = new HashSet<string>(StringComparer.Ordinal);

        for (var i = 0; i < 200; i++)
        {
            var token = AccessTokenMinter.Mint(key, "https://gatehouse.test", "billing", "urn:gatehouse:development:customers", "c" + i, "customers:profile.read", now, TimeSpan.FromMinutes(5));

            var parts = token.Split('.');
            Assert.True(ec.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256));
            var claims = Jwt.Payload(token);
            Assert.Equal("c" + i, claims["client_id"]!.GetValue<string>());
            var jti = claims["jti"]!.GetValue<string>();
            Assert.Equal(16, Base64Url.DecodeFromChars(jti).Length);
            Assert.True(jtis.Add(jti), $"jti {jti} repeated at token {i}");
        }
    }
}
