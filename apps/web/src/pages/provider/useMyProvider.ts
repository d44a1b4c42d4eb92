import { useQuery } from '@tanstack/react-query';
import { api, data } from '../../api/client';
import type { Provider } from './types';

export const myProviderKey = ['providers', 'me'] as const;

/**
 * The signed-in provider's own profile, or null while they have none (the API answers 404 until
 * the profile is created: that is a state of the account, not an error).
 */
export function useMyProvider() {
  return useQuery({
    queryKey: myProviderKey,
    queryFn: async (): Promise<Provider | null> => {
      const result = await api.GET('/api/v1/providers/me');
      if (result.response.status === 404) return null;
      return data(result);
    },
  });
}
