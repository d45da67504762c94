using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Ports;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Users;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.Auth.Register;

/// <summary>Creates a user account. Registering can never create an administrator.</summary>
public sealed record RegisterCommand(string Email, string Password, string Name) : ICommand<Result<UserResponse>>, ISavesWithoutAmbientTransaction;

public sealed class RegisterValidator : AbstractValidator<RegisterCommand>
{
    public RegisterValidator(ICommonPasswordList commonPasswords)
    {
        RuleFor(c => c.Email).EmailAddress();
        RuleFor(c => c.Password).NewPassword(commonPasswords);
        RuleFor(c => c.Name).DisplayText(User.MaxNameLength);
    }
}

public sealed class RegisterHandler(
    IUserRepository users,
    IPasswordHasher hasher,
    IAuditLog audit,
    TimeProvider clock) : ICommandHandler<RegisterCommand, Result<UserResponse>>
{
    public async ValueTask<Result<UserResponse>> Handle(RegisterCommand command, CancellationToken cancellationToken)
    {
        if (await users.EmailExistsAsync(command.Email, cancellationToken))
        {
            return Error.Conflict("An account with this email address already exists.");
        }

        var now = clock.GetUtcNow();
        var user = User.Register(Guid.CreateVersion7(now), command.Email, command.Name, hasher.Hash(command.Password), now);
        users.Add(user);
        audit.Record(AuditEventTypes.UserRegistered, user.Id);
        return UserResponse.From(user);
    }
}
