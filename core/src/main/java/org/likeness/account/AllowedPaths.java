package org.likeness.account;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.likeness.registry.AccountStore;
import org.likeness.registry.InputText;
import org.likeness.registry.InvalidInputException;
import org.likeness.registry.NotFoundException;
import org.likeness.registry.Registry;

/**
 * The server folders an organisation may register or audit by path. An allowed folder is an absolute, existing folder
 * whose path holds no symbolic link and no {@code ..}; a path named in a request must lie inside one of its
 * organisation's folders after resolving every link (a link out of the folder, or {@code ..}, is refused).
 */
public final class AllowedPaths {
    private final Registry registry;

    public AllowedPaths(Registry registry) {
        this.registry = registry;
    }

    /** Allows a folder to an organisation (admin). */
    public AccountStore.AllowedPath allow(String actor, String organisation, String path) {
        Path p = checkFolder(path);
        return registry.as(actor).accounts().addAllowedPath(organisation, p.toString());
    }

    public void remove(String actor, long id) {
        registry.as(actor).accounts().removeAllowedPath(id);
    }

    public List<AccountStore.AllowedPath> list(String organisation) {
        return registry.accounts().allowedPaths(organisation);
    }

    /**
     * The real path of {@code requested} when it lies inside one of the organisation's allowed folders, else a
     * {@link NotFoundException} (a caller may not learn which server paths exist).
     */
    public Path resolve(String organisation, String requested) {
        Path p = checkAbsolute("path", requested);
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            throw new NotFoundException("path " + InputText.printable(requested) + " is not inside a folder allowed to organisation "
                    + organisation);
        }
        if (!real.equals(p)) {
            throw new InvalidInputException("path " + InputText.printable(requested)
                    + " passes through a symbolic link: name the real path inside an allowed folder");
        }
        for (AccountStore.AllowedPath a : list(organisation)) {
            Path root = Path.of(a.path());
            if (real.startsWith(root)) {
                return real;
            }
        }
        throw new NotFoundException("path " + InputText.printable(requested) + " is not inside a folder allowed to organisation "
                + organisation);
    }

    static Path checkFolder(String path) {
        Path p = checkAbsolute("allowed path", path);
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException("allowed path " + InputText.printable(path) + " is not an existing folder"
                    + (Files.isSymbolicLink(p) ? " (it is a symbolic link)" : ""));
        }
        try {
            if (!p.toRealPath().equals(p)) {
                throw new InvalidInputException("allowed path " + InputText.printable(path)
                        + " passes through a symbolic link: name the real folder");
            }
        } catch (IOException e) {
            throw new InvalidInputException("allowed path " + InputText.printable(path) + " cannot be read: " + e.getMessage());
        }
        return p;
    }

    private static Path checkAbsolute(String what, String path) {
        InputText.required(what, path, 4096);
        if (path.indexOf('\0') >= 0) {
            throw new InvalidInputException(what + " holds a NUL character");
        }
        Path p;
        try {
            p = Path.of(path);
        } catch (RuntimeException e) {
            throw new InvalidInputException(what + " " + InputText.printable(path) + " is not a valid path");
        }
        if (!p.isAbsolute()) {
            throw new InvalidInputException(what + " " + InputText.printable(path) + " must be absolute");
        }
        for (Path part : p) {
            if (part.toString().equals("..") || part.toString().equals(".")) {
                throw new InvalidInputException(what + " " + InputText.printable(path) + " holds '.' or '..'");
            }
        }
        return p;
    }
}
