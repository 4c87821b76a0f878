import { Navigate, useLocation, useNavigate } from 'react-router';

import { Page } from '../ui/Page';
import { Loading } from '../ui/Status';
import { landingPath, useSession } from './session';
import { SignInFlow } from './SignInFlow';

/** /sign-in: after signing in, back to where the person was going, or their landing page. */
export function SignInPage() {
  const { state, signedIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'signed-in') return <Navigate to={from ?? landingPath(state.me)} replace />;
  return (
    <Page title="Sign in">
      <div className="card card--narrow">
        <SignInFlow
          onSignedIn={async () => {
            const me = await signedIn();
            if (me !== undefined) await navigate(from ?? landingPath(me), { replace: true });
          }}
        />
      </div>
    </Page>
  );
}
