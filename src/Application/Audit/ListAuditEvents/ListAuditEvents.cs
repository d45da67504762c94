using System.Text.Json;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Authorization;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.Audit.ListAuditEvents;

/// <summary>
/// The audit trail, newest first: the caller's own events, or everyone's for an administrator
/// (SPEC section 8). Filterable by type and time.
/// </summary>
public sealed record ListAuditEventsQuery(
    CallerIdentity Caller, string? Type, DateTimeOffset? From, DateTimeOffset? To, int? Limit) : IQuery<Result<IReadOnlyList<AuditEventResponse>>>;

/// <summary>One audit event; <see cref="Details"/> is a JSON object of non-secret fields (ids, reasons).</summary>
public sealed record AuditEventResponse(
    Guid Id, string Type, DateTimeOffset OccurredAt, Guid? UserId, Guid? ActorId, string? Ip, string? UserAgent, string? ClientId, JsonElement? Details);

public sealed class ListAuditEventsValidator : AbstractValidator<ListAuditEventsQuery>
{
    public const int MaxLimit = 500;

    public ListAuditEventsValidator()
    {
        RuleFor(q => q.Type).MaximumLength(64).WithMessage("An event type is at most 64 characters long.");
        RuleFor(q => q.Limit).InclusiveBetween(1, MaxLimit).When(q => q.Limit is not null)
            .WithMessage($"The limit is between 1 and {MaxLimit}.");
        RuleFor(q => q.To).GreaterThanOrEqualTo(q => q.From).When(q => q.From is not null && q.To is not null)
            .WithMessage("'to' must not be before 'from'.");
    }
}

public sealed class ListAuditEventsHandler(IAuditEventReader reader)
    : IQueryHandler<ListAuditEventsQuery, Result<IReadOnlyList<AuditEventResponse>>>
{
    public async ValueTask<Result<IReadOnlyList<AuditEventResponse>>> Handle(ListAuditEventsQuery query, CancellationToken cancellationToken)
    {
        var everyone = query.Caller.Scopes.Contains(Scopes.Admin);
        if (!everyone && query.Caller.UserId is null)
        {
            return new Error(ErrorCodes.Forbidden, "Only users have an audit trail of their own.");
        }

        var filter = new AuditEventFilter(everyone ? null : query.Caller.UserId, query.Type, query.From, query.To, query.Limit ?? 100);
        var events = await reader.ListAsync(filter, cancellationToken);
        return Result<IReadOnlyList<AuditEventResponse>>.Success(events);
    }
}
