namespace Gatehouse.Server.Gateway;

/// <summary>Why forward-auth refused (ADR 0027, docs/errors.md GH5020-GH5030). Also sent as <c>X-Gatehouse-Error</c>.</summary>
internal static class ForwardAuthErrors
{
    public const string NoToken = "GH5020";
    public const string InvalidToken = "GH5021";
    public const string WrongAudience = "GH5022";
    public const string UnknownTarget = "GH5023";
    public const string NoRoute = "GH5024";
    public const string ScopeNotInToken = "GH5025";
    public const string ClientRevoked = "GH5026";
    public const string GrantRevoked = "GH5027";
    public const string PathNotNormal = "GH5028";
    public const string OriginalRequestMissing = "GH5029";
    public const string Unavailable = "GH5030";
}
