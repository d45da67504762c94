using AuthPlatform.Domain.Common;
using Mediator;

namespace AuthPlatform.Application.Common.Events;

/// <summary>
/// A domain event on its way through the mediator. The Domain knows nothing of the mediator, so
/// its events travel in this one notification type (Mediator supports no generic notifications);
/// <see cref="DomainEventHandler{TEvent}"/> picks the events a handler cares about.
/// Dispatched when the unit of work saves, before the commit: what a handler writes to the
/// database commits or rolls back with the change it records. Work that must wait for the
/// commit (log lines, cache evictions, calls to other systems) goes through <see cref="Ports.IAfterCommit"/>.
/// </summary>
public sealed record DomainEventNotification(IDomainEvent Event) : INotification;

/// <summary>
/// Handles one kind of domain event (or every event that implements <typeparamref name="TEvent"/>).
/// Register a subclass as <c>INotificationHandler&lt;DomainEventNotification&gt;</c>; the handlers in
/// AuthPlatform's own assemblies are registered by the mediator's source generator.
/// </summary>
public abstract class DomainEventHandler<TEvent> : INotificationHandler<DomainEventNotification>
    where TEvent : IDomainEvent
{
    public ValueTask Handle(DomainEventNotification notification, CancellationToken cancellationToken) =>
        notification.Event is TEvent domainEvent ? Handle(domainEvent, cancellationToken) : ValueTask.CompletedTask;

    protected abstract ValueTask Handle(TEvent domainEvent, CancellationToken cancellationToken);
}
