using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Results;
using MapsterMapper;
using Mediator;

namespace AuthPlatform.Application.Auth.ListSessions;

/// <summary>The caller's active sessions, newest first.</summary>
public sealed record ListSessionsQuery(Guid UserId, Guid? CurrentSessionId) : IQuery<Result<IReadOnlyList<SessionSummary>>>;

public sealed record SessionSummary(
    Guid Id, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt, string? Ip, string? UserAgent, DateTimeOffset ExpiresAt, bool Current);

public sealed class ListSessionsHandler(IRefreshTokenFamilyRepository families, IMapper mapper, TimeProvider clock)
    : IQueryHandler<ListSessionsQuery, Result<IReadOnlyList<SessionSummary>>>
{
    public async ValueTask<Result<IReadOnlyList<SessionSummary>>> Handle(ListSessionsQuery query, CancellationToken cancellationToken)
    {
        var active = await families.ListActiveForUserAsync(query.UserId, clock.GetUtcNow(), cancellationToken);
        return active
            .OrderByDescending(f => f.CreatedAt)
            .Select(f => mapper.Map<SessionSummary>(f) with { Current = f.Id == query.CurrentSessionId })
            .ToList();
    }
}
