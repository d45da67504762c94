using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Users;
using FluentValidation;
using MapsterMapper;
using Mediator;

namespace AuthPlatform.Application.Auth.Register;

/// <summary>Creates a user account. Registering can never create an administrator.</summary>
public sealed record RegisterCommand(string Email, string Password, string Name) : ICommand<Result<UserResponse>>, ISavesWithoutAmbientTransaction;

public sealed class RegisterValidator : AbstractValidator<RegisterCommand>
{
    public RegisterValidator(IPasswordPolicy passwordPolicy)
    {
        RuleFor(c => c.Email).EmailAddress();
        RuleFor(c => c.Password).NewPassword(passwordPolicy, c => (c.Email, c.Name));
        RuleFor(c => c.Name).DisplayText(User.MaxNameLength);
    }
}

public sealed class RegisterHandler(
    IUserRepository users,
    IPasswordHasher hasher,
    ISecretGenerator secrets,
    IMapper mapper,
    TimeProvider clock) : ICommandHandler<RegisterCommand, Result<UserResponse>>
{
    public async ValueTask<Result<UserResponse>> Handle(RegisterCommand command, CancellationToken cancellationToken)
    {
        if (await users.EmailExistsAsync(command.Email, cancellationToken))
        {
            return Error.Conflict("An account with this email address already exists.");
        }

        var now = clock.GetUtcNow();
        var user = User.Register(
            Guid.CreateVersion7(now), EmailAddress.Create(command.Email), command.Name, hasher.Hash(command.Password), secrets.NewSecret(16), now);
        users.Add(user);
        return mapper.Map<UserResponse>(user);
    }
}
