package io.metafed.sdk;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Finds public or protected API whose generic type mentions a given class anywhere in it. */
final class ApiTypeScanner {
    private ApiTypeScanner() {
    }

    /** One line per offending member, supertype or type parameter of {@code classes}. */
    static List<String> mentions(List<Class<?>> classes, Class<?> target) {
        List<String> found = new ArrayList<>();
        for (Class<?> c : classes) {
            List<Type> supertypes = new ArrayList<>(Arrays.asList(c.getGenericInterfaces()));
            if (c.getGenericSuperclass() != null) {
                supertypes.add(c.getGenericSuperclass());
            }
            supertypes.addAll(Arrays.asList(c.getTypeParameters()));
            for (Type t : supertypes) {
                if (mentions(t, target, new HashSet<>())) {
                    found.add(c.getName() + " extends/implements " + t.getTypeName());
                }
            }
            Set<Member> members = new LinkedHashSet<>();
            members.addAll(Arrays.asList(c.getMethods())); // public, inherited too
            members.addAll(Arrays.asList(c.getFields()));
            members.addAll(Arrays.asList(c.getDeclaredMethods()));
            members.addAll(Arrays.asList(c.getDeclaredFields()));
            members.addAll(Arrays.asList(c.getDeclaredConstructors()));
            for (Member m : members) {
                if ((m.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED)) != 0 && mentions(m, target)) {
                    found.add(c.getName() + ": " + m);
                }
            }
        }
        return found;
    }

    private static boolean mentions(Member m, Class<?> target) {
        List<Type> types = new ArrayList<>();
        if (m instanceof Field f) {
            types.add(f.getGenericType());
        } else if (m instanceof Executable e) {
            types.addAll(Arrays.asList(e.getGenericParameterTypes()));
            types.addAll(Arrays.asList(e.getGenericExceptionTypes()));
            types.addAll(Arrays.asList(e.getTypeParameters()));
            if (e instanceof Method method) {
                types.add(method.getGenericReturnType());
            } else if (!(e instanceof Constructor<?>)) {
                throw new IllegalStateException("unexpected executable " + e);
            }
        }
        return types.stream().anyMatch(t -> mentions(t, target, new HashSet<>()));
    }

    /** Walks arrays, type arguments, owners, wildcard and type-variable bounds; {@code seen} stops recursion. */
    private static boolean mentions(Type type, Class<?> target, Set<Type> seen) {
        if (type == null || !seen.add(type)) {
            return false;
        }
        if (type instanceof Class<?> c) {
            return c.isArray() ? mentions(c.getComponentType(), target, seen) : c == target;
        }
        if (type instanceof ParameterizedType p) {
            return mentions(p.getRawType(), target, seen) || mentions(p.getOwnerType(), target, seen)
                    || Arrays.stream(p.getActualTypeArguments()).anyMatch(a -> mentions(a, target, seen));
        }
        if (type instanceof GenericArrayType g) {
            return mentions(g.getGenericComponentType(), target, seen);
        }
        if (type instanceof WildcardType w) {
            return Stream.concat(Arrays.stream(w.getUpperBounds()), Arrays.stream(w.getLowerBounds()))
                    .anyMatch(b -> mentions(b, target, seen));
        }
        if (type instanceof TypeVariable<?> v) {
            return Arrays.stream(v.getBounds()).anyMatch(b -> mentions(b, target, seen));
        }
        return false;
    }
}
