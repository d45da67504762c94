using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using Mediator;

namespace Acme.AuthPlatform.Extensions.AddressPolicy;

/// <summary>
/// Refuses the commands it is registered for when the client's address (<see cref="IClientContext"/>:
/// after trusted proxies only) is outside <see cref="AllowedNetworks"/>. It runs before the handler,
/// so a refused sign-in hashes nothing, counts no failure and writes no audit row: the unit of work
/// discards a failure.
/// </summary>
public sealed class AddressAllowListBehaviour<TMessage, TResponse>(IClientContext client, AllowedNetworks networks)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
    where TResponse : IResult<TResponse>
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken) =>
        networks.Contains(client.IpAddress)
            ? next(message, cancellationToken)
            : ValueTask.FromResult(TResponse.Failure(AddressNotAllowed.Error));
}

/// <summary>The refusal: a stable code (registered with its 403 by the extension) and a message that names no address.</summary>
public static class AddressNotAllowed
{
    public static readonly Error Error = new(AcmeErrorCodes.AddressNotAllowed, "Sign-in is only allowed from Acme's networks.");
}
