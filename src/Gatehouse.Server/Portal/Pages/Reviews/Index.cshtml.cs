using Gatehouse.Core.Access;

namespace Gatehouse.Server.Portal.Pages.Reviews;

/// <summary>Access reviews and their progress; for admins, per providing app (ADR 0032).</summary>
internal sealed class ReviewsModel(PortalData data) : PortalPageModel
{
    public IReadOnlyList<AccessReview> Reviews { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Reviews = await data.Store.ListReviewsAsync(openOnly: false, ct);
}
