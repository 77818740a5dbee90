using Gatehouse.Core.Access;

namespace Gatehouse.Server.Portal;

/// <summary>One request as the inbox and the dashboard show it, with the decision the viewer may take.</summary>
internal sealed record RequestCardModel(AccessRequest Request, DecisionAdvice Advice, string ReturnUrl, bool ShowForm = true);
