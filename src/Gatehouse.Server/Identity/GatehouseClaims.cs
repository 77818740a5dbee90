using System.Security.Claims;
using Gatehouse.Core.Access;

namespace Gatehouse.Server.Identity;

/// <summary>How an authenticated caller is carried in a <see cref="ClaimsPrincipal"/>.</summary>
internal static class GatehouseClaims
{
    public const string ActorKind = "gatehouse:actor-kind";
    public const string TokenId = "gatehouse:token-id";
    public const string CiRule = "gatehouse:ci-rule";
    public const string TriggeredBy = "gatehouse:triggered-by";

    public static ClaimsPrincipal Principal(Actor actor, string scheme, string? tokenId = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, actor.Name),
            new(ActorKind, actor.Kind.ToString()),
        };
        if (tokenId is not null)
        {
            claims.Add(new Claim(TokenId, tokenId));
        }

        if (actor.CiRule is not null)
        {
            claims.Add(new Claim(CiRule, actor.CiRule));
        }

        if (actor.TriggeredBy is not null)
        {
            claims.Add(new Claim(TriggeredBy, actor.TriggeredBy));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>The actor behind a request; only called on endpoints that require authentication.</summary>
    public static Actor ToActor(this ClaimsPrincipal user)
    {
        var kind = Enum.Parse<ActorKind>(user.FindFirstValue(ActorKind) ?? throw new InvalidOperationException("unauthenticated principal reached an authorized endpoint"));
        return new Actor(kind, user.Identity?.Name ?? string.Empty)
        {
            TokenId = user.FindFirstValue(TokenId),
            CiRule = user.FindFirstValue(CiRule),
            TriggeredBy = user.FindFirstValue(TriggeredBy),
        };
    }
}
