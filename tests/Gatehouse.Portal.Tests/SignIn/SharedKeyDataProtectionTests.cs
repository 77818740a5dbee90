using System.Net;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.Portal.Tests.Infrastructure;
using Gatehouse.Server.Portal.SignIn;

namespace Gatehouse.Portal.Tests.SignIn;

/// <summary>Cookie protection under a key every replica derives from the shared key-encryption key.</summary>
public class SharedKeyDataProtectionTests
{
    private static readonly byte[] Root = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("name=erin; token=tok_123");

    [Fact]
    public void Another_instance_with_the_same_root_key_reads_what_one_protected()
    {
        var written = new SharedKeyDataProtection(Root).CreateProtector("cookies").CreateProtector("session").Protect(Payload);

        var read = new SharedKeyDataProtection(Root).CreateProtector("cookies").CreateProtector("session").Unprotect(written);

        Assert.Equal(Payload, read);
        Assert.DoesNotContain("erin", Encoding.UTF8.GetString(written));
    }

    [Fact]
    public void A_payload_for_one_purpose_cannot_be_read_for_another()
    {
        var session = new SharedKeyDataProtection(Root).CreateProtector("session").Protect(Payload);

        Assert.ThrowsAny<CryptographicException>(() => new SharedKeyDataProtection(Root).CreateProtector("antiforgery").Unprotect(session));
    }

    [Fact]
    public void A_changed_byte_or_another_root_key_is_refused()
    {
        var protector = new SharedKeyDataProtection(Root).CreateProtector("session");
        var written = protector.Protect(Payload);
        written[^5] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(written));
        Assert.ThrowsAny<CryptographicException>(() => new SharedKeyDataProtection(RandomNumberGenerator.GetBytes(32)).CreateProtector("session").Unprotect(protector.Protect(Payload)));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect([1, 2, 3]));
    }

    [Fact]
    public async Task A_session_opened_on_one_replica_is_honoured_by_another_that_shares_the_key_encryption_key()
    {
        var kek = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var first = await PortalServer.StartAsync(true, $"--GATEHOUSE_KEY_ENCRYPTION_KEY={kek}");
        await using var second = await PortalServer.StartAsync(true, $"--GATEHOUSE_KEY_ENCRYPTION_KEY={kek}");
        await using var stranger = await PortalServer.StartAsync(true, $"--GATEHOUSE_KEY_ENCRYPTION_KEY={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}");
        using var client = first.Client();
        // The demo picker, not a token: each of these test servers has its own database, and a
        // session opened with a token is re-checked against that token on every request.
        var picked = await client.PostAsync("/signin?handler=demo", new Dictionary<string, string> { ["user"] = "erin", ["returnUrl"] = "/" }, tokenFrom: "/signin");
        Assert.Equal(HttpStatusCode.Redirect, picked.Status);

        // Cookies belong to the host, not the port: the same browser sends them to every replica.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(second.Url, "/inbox").ToString())).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(new Uri(stranger.Url, "/inbox").ToString())).Status);
    }
}
