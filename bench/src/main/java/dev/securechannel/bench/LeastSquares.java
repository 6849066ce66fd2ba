package dev.securechannel.bench;

import java.util.List;

/** The least-squares line through measured points, as the soak's growth check and the capacity run fit it. */
public final class LeastSquares {

    private LeastSquares() {
    }

    /** The slope of the least-squares line through {@code (x, y)}; 0 when every x is the same. */
    public static double slope(List<Double> x, List<Double> y) {
        if (x.size() != y.size()) {
            throw new IllegalArgumentException(x.size() + " x values for " + y.size() + " y values");
        }
        double meanX = x.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double meanY = y.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double covariance = 0;
        double variance = 0;
        for (int i = 0; i < x.size(); i++) {
            double dx = x.get(i) - meanX;
            covariance += dx * (y.get(i) - meanY);
            variance += dx * dx;
        }
        return variance == 0 ? 0 : covariance / variance;
    }
}
