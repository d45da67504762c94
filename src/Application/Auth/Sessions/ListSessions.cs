using AuthPlatform.Application.Common.Ports;
using AuthPlatform.Application.Common.Results;
using Mediator;

namespace AuthPlatform.Application.Auth.Sessions;

/// <summary>The caller's active sessions, newest first.</summary>
public sealed record ListSessionsQuery(Guid UserId, Guid? CurrentSessionId) : IQuery<Result<IReadOnlyList<SessionSummary>>>;

public sealed record SessionSummary(
    Guid Id, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt, string? Ip, string? UserAgent, DateTimeOffset ExpiresAt, bool Current);

public sealed class ListSessionsHandler(IRefreshTokenFamilyRepository families, TimeProvider clock)
    : IQueryHandler<ListSessionsQuery, Result<IReadOnlyList<SessionSummary>>>
{
    public async ValueTask<Result<IReadOnlyList<SessionSummary>>> Handle(ListSessionsQuery query, CancellationToken cancellationToken)
    {
        var active = await families.ListActiveForUserAsync(query.UserId, clock.GetUtcNow(), cancellationToken);
        return active
            .OrderByDescending(f => f.CreatedAt)
            .Select(f => new SessionSummary(
                f.Id, f.CreatedAt, f.LastUsedAt, f.IpAddress, f.UserAgent, f.CurrentTokenExpiresAt, f.Id == query.CurrentSessionId))
            .ToList();
    }
}
