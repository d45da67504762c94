using System.Text.Json;
using AuthPlatform.Application.Audit.ListAuditEvents;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.Persistence.Readers;

public sealed class AuditEventReader(AuthDbContext db) : IAuditEventReader
{
    public async Task<IReadOnlyList<AuditEventResponse>> ListAsync(AuditEventFilter filter, CancellationToken cancellationToken)
    {
        var events = db.AuditEvents.AsNoTracking();
        if (filter.UserId is { } userId)
        {
            events = events.Where(e => e.UserId == userId || e.ActorId == userId);
        }

        if (!string.IsNullOrEmpty(filter.Type))
        {
            events = events.Where(e => e.Type == filter.Type);
        }

        if (filter.From is { } from)
        {
            events = events.Where(e => e.OccurredAt >= from);
        }

        if (filter.To is { } to)
        {
            events = events.Where(e => e.OccurredAt <= to);
        }

        var rows = await events
            .OrderByDescending(e => e.OccurredAt)
            .ThenByDescending(e => e.Id)
            .Take(filter.Limit)
            .ToListAsync(cancellationToken);
        return rows
            .Select(e => new AuditEventResponse(e.Id, e.Type, e.OccurredAt, e.UserId, e.ActorId, e.IpAddress, e.UserAgent, e.ClientId, ParseDetails(e.Details)))
            .ToList();
    }

    /// <summary>The stored JSON object; null when there are no details.</summary>
    private static JsonElement? ParseDetails(string? details)
    {
        if (details is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(details);
        return document.RootElement.Clone();
    }
}
