using AuthPlatform.Domain.Common;

namespace AuthPlatform.Application.Common.Events;

/// <summary>
/// Raises an event that no aggregate can raise because there is none (a sign-in for an account
/// that does not exist). It is dispatched with the aggregates' events when the unit of work saves.
/// </summary>
public interface IDomainEvents
{
    void Raise(IDomainEvent domainEvent);
}
